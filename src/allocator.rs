//! The binary's memory allocator: mimalloc instead of the system's.
//!
//! A document makes about a thousand short-lived allocations (strings of mentions, records,
//! rows); with glibc's malloc and free those were about a ninth of all instructions of a batch
//! run. mimalloc's thread-local free lists make them cheap. Its one cost is memory it keeps
//! after a free; [`return_memory_at_once`] turns that off, so peak memory stays what the
//! documents need (the bound `tests/bad_input.rs` holds the runner to).
//! The library keeps whatever allocator the program that embeds it chose.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mi_option_t` (v2 and v3 alike): how long freed
/// memory is kept before it goes back to the system, in milliseconds. `libmimalloc-sys` names
/// the options on either side of it (14 and 16) but not this one.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory goes back to the system at once rather than after a delay.
pub fn return_memory_at_once() {
    // SAFETY: setting an option is allowed at any time; 15 is an option mimalloc knows.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // mimalloc v3's default `purge_delay` (src/options.c) is 1000 ms; no other option has
        // that default, so reading 1000 shows the index names this option.
        // SAFETY: reading an option is allowed at any time.
        let before = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        assert_eq!(before, 1000);
        return_memory_at_once();
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, 0);
    }
}
