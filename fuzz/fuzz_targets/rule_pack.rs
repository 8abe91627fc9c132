#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    kientruc_fuzz::rule_pack(kientruc_fuzz::pack(), data);
});
