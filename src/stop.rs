//! Stopping a run cleanly on SIGINT (Ctrl-C), SIGTERM (`timeout`, systemd, Kubernetes) and
//! SIGHUP (a closed terminal): the first signal sets [`STOP`] — no new input is read, what was
//! read is finished and kept as `NAME.partial` — and a second one quits at once.
//!
//! The handler only stores the signal, writes a fixed message with write(2) and, the second
//! time, calls `_exit`: all async-signal-safe. The exit code of a stopped run is 128 + the
//! signal (130, 143, 129), as a shell reports a process killed by it.

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

/// Set by the first signal: the run finishes what it has read and stops.
pub static STOP: AtomicBool = AtomicBool::new(false);
/// The signal that stopped the run (0: none yet).
static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// The exit code for a run that was stopped: 128 + the signal (130 for SIGINT).
pub fn exit_code() -> u8 {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => 130,
        n => (128 + n).clamp(0, 255) as u8,
    }
}

#[cfg(unix)]
extern "C" fn on_signal(signal: libc::c_int) {
    let (first, again): (&[u8], &[u8]) = match signal {
        libc::SIGTERM => (
            b"\nentopic: SIGTERM: stopping: finishing the documents already read\n",
            b"\nentopic: SIGTERM again: stopped at once; outputs were not written\n",
        ),
        libc::SIGHUP => (
            b"\nentopic: SIGHUP: stopping: finishing the documents already read\n",
            b"\nentopic: SIGHUP again: stopped at once; outputs were not written\n",
        ),
        _ => (
            b"\nentopic: stopping: finishing the documents already read (Ctrl-C again to quit at once)\n",
            b"\nentopic: stopped at once; outputs were not written\n",
        ),
    };
    let repeated = STOP.swap(true, Ordering::SeqCst);
    let message = if repeated { again } else { first };
    // SAFETY: write(2) and _exit(2) are async-signal-safe; the message is a static buffer.
    unsafe {
        libc::write(2, message.as_ptr().cast(), message.len());
        if repeated {
            libc::_exit(128 + signal);
        }
    }
    SIGNAL.store(signal, Ordering::SeqCst);
}

/// Installs the handler for SIGINT, SIGTERM and SIGHUP.
#[cfg(unix)]
pub fn install() -> std::io::Result<()> {
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: a zeroed sigaction is valid; the handler above only does async-signal-safe
        // work. SA_RESTART keeps reads and writes from failing with EINTR.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            action.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            if libc::sigaction(signal, &action, std::ptr::null_mut()) != 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
    }
    Ok(())
}

/// Installs the Ctrl-C handler (other systems have no SIGTERM/SIGHUP to catch).
#[cfg(not(unix))]
pub fn install() -> std::io::Result<()> {
    ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            eprintln!("\nentopic: stopped at once; outputs were not written");
            std::process::exit(130);
        }
        eprintln!(
            "\nentopic: stopping: finishing the documents already read (Ctrl-C again to quit at once)"
        );
    })
    .map_err(std::io::Error::other)
}
