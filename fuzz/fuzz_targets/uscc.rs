//! The USCC validator: see [`ticheck_fuzz::uscc`] for what is fed and what must hold.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ticheck_fuzz::uscc(data));
