#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    kientruc_fuzz::format_roundtrip(kientruc_fuzz::pack(), data);
});
