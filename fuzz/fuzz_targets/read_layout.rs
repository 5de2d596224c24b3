//! Any text as layout text (what pdftotext -layout makes of a PDF): pages, paragraphs, tables.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = juesuan::reader::layout::parse(text, juesuan::model::Format::Pdf, None);
});
