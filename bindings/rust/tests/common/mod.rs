//! What the binding's tests share: a control written in Rust that echoes records and
//! keeps options, and one that speaks the frame protocol.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kctl::errno;
use kctl::sim::{EnqueueFlags, Kernel, Registration, SimControl};
use kctl::{Control, Error, FrameBuf, FrameFlags, FrameWriter};

pub const ECHO: &str = "org.libkctl.rs.echo";
pub const OPT_U32: i32 = 1;
pub const OPT_U64: i32 = 2;
pub const OPT_NAME: i32 = 3;
pub const OPT_SHORT: i32 = 4;
pub const OPT_INPUT: i32 = 5;
pub const OPT_LONG_STR: i32 = 6;

/// A second of patience for every blocking call.
pub const PATIENCE: Option<Duration> = Some(Duration::from_secs(5));

/// What the echo control saw.
#[derive(Default)]
pub struct EchoLog {
    pub events: Vec<String>,
    pub options: HashMap<(u32, i32), Vec<u8>>,
}

/// Registers the echo control: each send comes back as one record; options OPT_U32 and
/// OPT_U64 are kept per unit (exact lengths), OPT_NAME answers "echo-<unit>" with its NUL,
/// OPT_SHORT answers 2 bytes, OPT_INPUT answers the caller's bytes reversed, OPT_LONG_STR a
/// 1000-byte string; anything else is ENOPROTOOPT.
pub fn echo(k: &Kernel, reg: Registration) -> (SimControl, Arc<Mutex<EchoLog>>) {
    let log = Arc::new(Mutex::new(EchoLog::default()));
    let (l1, l2, l3, l4, l5) = (log.clone(), log.clone(), log.clone(), log.clone(), log.clone());
    let reg = reg
        .on_connect(move |_, unit| {
            l1.lock().unwrap().events.push(format!("connect {}", unit));
            Ok(())
        })
        .on_disconnect(move |_, unit| l2.lock().unwrap().events.push(format!("disconnect {}", unit)))
        .on_send(move |ctl, unit, m, _| {
            l3.lock().unwrap().events.push(format!("send {} {}", unit, m.len()));
            ctl.enqueue(unit, &m.to_vec(), EnqueueFlags::EOR)
        })
        .on_setopt(move |_, unit, opt, data| {
            let want = match opt {
                OPT_U32 => 4,
                OPT_U64 => 8,
                _ => return Err(Error::from_errno(errno::ENOPROTOOPT)),
            };
            if data.len() != want {
                return Err(Error::from_errno(errno::EINVAL));
            }
            l4.lock().unwrap().options.insert((unit, opt), data.to_vec());
            Ok(())
        })
        .on_getopt(move |_, unit, opt, buf| {
            let answer: Vec<u8> = match opt {
                OPT_U32 | OPT_U64 => {
                    let n = if opt == OPT_U32 { 4 } else { 8 };
                    l5.lock().unwrap().options.get(&(unit, opt)).cloned().unwrap_or(vec![0; n])
                }
                OPT_NAME => format!("echo-{}\0", unit).into_bytes(),
                OPT_SHORT => vec![1, 2],
                OPT_INPUT => buf.as_ref().map(|b| b.iter().rev().copied().collect()).unwrap_or_default(),
                OPT_LONG_STR => {
                    let mut s = vec![b'x'; 1000];
                    s.push(0);
                    s
                }
                _ => return Err(Error::from_errno(errno::ENOPROTOOPT)),
            };
            match buf {
                None => Ok(answer.len()),
                Some(b) => {
                    let n = answer.len().min(b.len());
                    b[..n].copy_from_slice(&answer[..n]);
                    Ok(n)
                }
            }
        });
    (k.register(reg).expect("register echo"), log)
}

/// A Control on `k` with a timeout, DGRAM unless `stream`.
pub fn open(k: &Kernel, name: &str, stream: bool) -> Control {
    k.open_options().stream(stream).timeout(PATIENCE).open(name).expect("open")
}

pub const FRAMES: &str = "org.libkctl.rs.frames";
/// Request types of the frame control.
pub const FC_ECHO: u16 = 1;
pub const FC_FAIL: u16 = 2;
pub const FC_EVENTS: u16 = 3;
pub const FC_MULTI: u16 = 4;
pub const FC_GARBAGE: u16 = 5;
pub const FC_SILENT: u16 = 6;
pub const FC_EVENT_TYPE: u16 = 100;

/// Registers a control that answers frames: FC_ECHO replies with the payload; FC_FAIL
/// answers an error reply with the errno in the payload's first 4 bytes; FC_EVENTS sends
/// N events (aux = i) and then an empty reply; FC_MULTI replies "one", "two", "three"
/// (MORE on the first two); FC_GARBAGE answers a record that is not a frame; FC_SILENT
/// never answers.
pub fn frame_server(k: &Kernel, stream: bool) -> SimControl {
    let reg = Registration::new(FRAMES).stream(stream).on_send(move |ctl, unit, m, _| {
        let buf = FrameBuf::from_bytes(&m.to_vec());
        let mut w = FrameWriter::new(4096);
        for f in buf.record(0)? {
            let n = f.payload().get(..4).map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
                .unwrap_or(0);
            let (t, seq) = (f.msg_type(), f.seq());
            match t {
                FC_ECHO => {
                    w.start(FrameFlags::REPLY, t, seq, 0)?.put(f.payload())?;
                }
                FC_FAIL => {
                    w.error_reply(t, seq, n as i32)?;
                }
                FC_EVENTS => {
                    for i in 0..n {
                        w.start(FrameFlags::EVENT, FC_EVENT_TYPE, 0, i)?.attr_u32(1, i)?;
                        send_each(ctl, unit, &mut w, stream)?;
                    }
                    w.start(FrameFlags::REPLY, t, seq, 0)?;
                }
                FC_MULTI => {
                    for (i, part) in [&b"one"[..], b"two", b"three"].iter().enumerate() {
                        let more = if i < 2 { FrameFlags::MORE } else { FrameFlags::NONE };
                        w.start(FrameFlags::REPLY | more, t, seq, 0)?.put(part)?;
                        send_each(ctl, unit, &mut w, stream)?;
                    }
                    continue;
                }
                FC_GARBAGE => {
                    return ctl.enqueue(unit, &[0xAB; 24], EnqueueFlags::EOR);
                }
                FC_SILENT => continue,
                _ => {
                    w.error_reply(t, seq, errno::ENOTSUP)?;
                }
            }
            send_each(ctl, unit, &mut w, stream)?;
        }
        Ok(())
    });
    k.register(reg).expect("register frame server")
}

/// Enqueues what the writer holds (one DGRAM record) and empties it.
pub fn send_each(ctl: &kctl::sim::Ctl, unit: u32, w: &mut FrameWriter, stream: bool) -> kctl::Result<()> {
    let flags = if stream { EnqueueFlags::NONE } else { EnqueueFlags::EOR };
    let bytes = w.finish()?.to_vec();
    if !bytes.is_empty() {
        ctl.enqueue(unit, &bytes, flags)?;
    }
    w.clear();
    Ok(())
}
