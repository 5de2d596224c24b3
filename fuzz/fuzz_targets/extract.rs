//! Any text through the whole pipeline after the reader: extraction, the checks, the records.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let doc = juesuan::reader::parse_text(text, juesuan::model::Format::Text, Some("utf-8"));
    let ex = juesuan::extract::extract(&doc);
    let checks = juesuan::check::check(&doc, &ex);
    let source = juesuan::record::Source::new(std::path::Path::new("fuzz.txt"), text.as_bytes());
    let _ = juesuan::record::build(&source, doc, ex, checks);
});
