//! Any bytes as a .txt file: decoding, the text or layout reader, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let config = juesuan::reader::ReadConfig::default();
    let _ = juesuan::reader::read(std::path::Path::new("fuzz.txt"), data, &config);
});
