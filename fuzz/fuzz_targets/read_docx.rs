//! Any bytes as a .docx: the zip package, relationships, styles, numbering, the body.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let config = juesuan::reader::ReadConfig::default();
    let _ = juesuan::reader::read(std::path::Path::new("fuzz.docx"), data, &config);
});
