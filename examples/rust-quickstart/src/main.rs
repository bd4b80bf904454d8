//! The Rust quick start of libkctl's README: a simulated kernel with a control written
//! in Rust, opened and talked to as a program on a Mac would talk to a real kext.
//! Run: cargo run (libkctl installed, or KCTL_LIB_DIR naming its folders).

use std::time::Duration;
use kctl::sim::{EnqueueFlags, Kernel, Registration};
use kctl::Opt;

const COUNT: Opt<u32> = Opt::new(1);                         // a typed option

fn main() -> kctl::Result<()> {
    let k = Kernel::new()?;                                  // a simulated kernel...
    let _echo = k.register(Registration::new("org.example.echo")
        .on_send(|ctl, unit, m, _| ctl.enqueue(unit, &m.to_vec(), EnqueueFlags::EOR))
        .on_getopt(|_, _, _, buf| match buf {                // ...with Rust callbacks
            Some(b) => { b[..4].copy_from_slice(&7u32.to_ne_bytes()); Ok(4) }
            None => Ok(4),
        }))?;
    let c = k.open_options().timeout(Some(Duration::from_secs(1))).open("org.example.echo")?;
    c.send(b"ping")?;
    let mut buf = [0u8; 64];
    let n = c.recv(&mut buf)?.len;                           // Control: Drop, AsRawFd, Send + Sync
    assert_eq!((&buf[..n], c.get(COUNT)?), (&b"ping"[..], 7));
    Ok(())                                                   // kctl::Error -> std::io::Error too
}
