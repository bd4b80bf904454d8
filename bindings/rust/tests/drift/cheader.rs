//! A small reader of libkctl's public C headers: the declarations they make, with every
//! C type written as the Rust type a binding must use for it. It knows the subset of C
//! the headers are written in and fails loudly on anything else, so that a new kind of
//! declaration is noticed rather than skipped.

use std::collections::BTreeMap;

/// What one or more headers declare.
#[derive(Debug, Default)]
pub struct Decls {
    /// name -> (argument types, return type), as Rust types.
    pub functions: BTreeMap<String, (Vec<String>, String)>,
    /// name -> fields (name, Rust type), in order.
    pub structs: BTreeMap<String, Vec<(String, String)>>,
    /// Types only pointed at: `typedef struct x x_t;` and `struct x;`.
    pub opaque: Vec<String>,
    /// Type aliases: function-pointer typedefs and enum types, as Rust types.
    pub aliases: BTreeMap<String, String>,
    /// Object-like macros with an integer value, and enumerators.
    pub constants: Vec<String>,
}

/// Object-like macros whose value is not an integer constant (and why).
const NOT_INTEGERS: &[&str] = &["KCTL_API"]; // an attribute

/// Parses one header's text into `d`.
pub fn parse(text: &str, d: &mut Decls) -> Result<(), String> {
    let (code, macros) = preprocess(&strip_comments(text))?;
    for (name, value) in macros {
        // string literals ("com.apple.net.utun_control") are names, not integer constants
        if !value.is_empty() && !value.starts_with('"') && !NOT_INTEGERS.contains(&name.as_str()) {
            d.constants.push(name);
        }
    }
    let toks = tokenize(&code)?;
    for decl in split_decls(&toks)? {
        parse_decl(&decl, d)?;
    }
    Ok(())
}

fn strip_comments(s: &str) -> String {
    let b = s.as_bytes();
    let (mut out, mut i) = (String::new(), 0);
    while i < b.len() {
        if b[i] == b'"' {
            let start = i;
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(b.len());
            out.push_str(&s[start..i]);
        } else if s[i..].starts_with("/*") {
            i = s[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            out.push(' ');
        } else if s[i..].starts_with("//") {
            i = s[i..].find('\n').map_or(b.len(), |e| i + e);
        } else {
            let ch = s[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// The code outside `#ifdef __cplusplus` blocks, and the object-like macros defined.
fn preprocess(s: &str) -> Result<(String, Vec<(String, String)>), String> {
    let joined = s.replace("\\\n", " ");
    let (mut code, mut macros) = (String::new(), Vec::new());
    let mut stack: Vec<bool> = Vec::new(); // true: this block is C++-only
    for line in joined.lines() {
        let t = line.trim();
        if let Some(dir) = t.strip_prefix('#') {
            let dir = dir.trim_start();
            let word = dir.split_whitespace().next().unwrap_or("");
            let rest = dir[word.len()..].trim();
            match word {
                "ifdef" => stack.push(rest == "__cplusplus"),
                "ifndef" | "if" => stack.push(false),
                "else" | "elif" => {
                    if let Some(top) = stack.last_mut() {
                        if *top {
                            *top = false;
                        }
                    }
                }
                "endif" => {
                    stack.pop();
                }
                "define" => {
                    let name: String =
                        rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    let after = &rest[name.len()..];
                    if !after.starts_with('(') && !macros.iter().any(|(n, _): &(String, String)| *n == name) {
                        macros.push((name, after.trim().to_string()));
                    }
                }
                "include" | "undef" | "pragma" | "error" | "warning" => {}
                _ => return Err(format!("unknown directive: #{}", dir)),
            }
            continue;
        }
        if !stack.iter().any(|&cpp| cpp) {
            code.push_str(line);
            code.push('\n');
        }
    }
    Ok((code, macros))
}

fn tokenize(s: &str) -> Result<Vec<String>, String> {
    let c: Vec<char> = s.chars().collect();
    let (mut toks, mut i) = (Vec::new(), 0);
    while i < c.len() {
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
        } else if ch.is_alphanumeric() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            toks.push(c[start..i].iter().collect());
        } else if ch == '"' {
            let start = i;
            i += 1;
            while i < c.len() && c[i] != '"' {
                i += 1;
            }
            i += 1;
            toks.push(c[start..i.min(c.len())].iter().collect());
        } else if "{}()[];,*=-".contains(ch) {
            toks.push(ch.to_string());
            i += 1;
        } else {
            return Err(format!("unexpected character {:?} in a header", ch));
        }
    }
    Ok(toks)
}

/// Top-level declarations: token runs ending with `;` outside braces and parentheses.
fn split_decls(toks: &[String]) -> Result<Vec<Vec<String>>, String> {
    let (mut out, mut cur, mut depth) = (Vec::new(), Vec::new(), 0i32);
    for t in toks {
        match t.as_str() {
            "{" | "(" | "[" => depth += 1,
            "}" | ")" | "]" => depth -= 1,
            _ => {}
        }
        if t == ";" && depth == 0 {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(t.clone());
        }
    }
    if !cur.is_empty() {
        return Err(format!("declaration without `;`: {}", cur.join(" ")));
    }
    Ok(out)
}

fn parse_decl(t: &[String], d: &mut Decls) -> Result<(), String> {
    let text = t.join(" ");
    match t.first().map(String::as_str) {
        Some("KCTL_API") => {
            let (name, args, ret) = parse_function(&t[1..])?;
            d.functions.insert(name, (args, ret));
        }
        Some("typedef") if t.contains(&"(".to_string()) => {
            let (name, ty) = parse_fn_pointer(&t[1..])?;
            d.aliases.insert(name, ty);
        }
        Some("typedef") if t.len() == 4 && t[1] == "struct" => d.opaque.push(t[3].clone()),
        Some("struct") if t.len() == 2 => d.opaque.push(t[1].clone()),
        Some("struct") if t.get(2).map(String::as_str) == Some("{") && t.last().map(String::as_str) == Some("}") => {
            let fields = split_on(&t[3..t.len() - 1], ";")
                .into_iter()
                .filter(|f| !f.is_empty())
                .map(|f| parse_named(&f))
                .collect::<Result<Vec<_>, _>>()?;
            d.structs.insert(t[1].clone(), fields);
        }
        Some("enum") if t.get(2).map(String::as_str) == Some("{") => {
            for item in split_on(&t[3..t.len() - 1], ",") {
                if let Some(name) = item.first() {
                    d.constants.push(name.clone());
                }
            }
            d.aliases.insert(t[1].clone(), "c_int".to_string());
        }
        _ => return Err(format!("declaration of an unknown kind: {}", text)),
    }
    Ok(())
}

/// Splits tokens on `sep` outside parentheses and brackets.
fn split_on(t: &[String], sep: &str) -> Vec<Vec<String>> {
    let (mut out, mut cur, mut depth) = (Vec::new(), Vec::new(), 0i32);
    for x in t {
        match x.as_str() {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => depth -= 1,
            _ => {}
        }
        if x == sep && depth == 0 {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(x.clone());
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `RET NAME ( PARAMS )` -> (name, argument types, return type).
fn parse_function(t: &[String]) -> Result<(String, Vec<String>, String), String> {
    let open = t.iter().position(|x| x == "(").ok_or("function without (")?;
    if t.last().map(String::as_str) != Some(")") || open == 0 {
        return Err(format!("not a prototype: {}", t.join(" ")));
    }
    let name = t[open - 1].clone();
    let ret = rust_type(&t[..open - 1], true)?;
    Ok((name, parse_params(&t[open + 1..t.len() - 1])?, ret))
}

fn parse_params(t: &[String]) -> Result<Vec<String>, String> {
    if t.len() == 1 && t[0] == "void" {
        return Ok(Vec::new());
    }
    split_on(t, ",").iter().map(|p| parse_named(p).map(|(_, ty)| ty)).collect()
}

/// A named declarator (parameter or field): `T name`, `T name[N]`, `R (*name)(P)`.
fn parse_named(t: &[String]) -> Result<(String, String), String> {
    if t.iter().any(|x| x == "(") {
        return parse_fn_pointer(t);
    }
    if t.len() >= 5 && t[t.len() - 1] == "]" && t[t.len() - 3] == "[" {
        let n = t.len();
        let elem = rust_type(&t[..n - 4], false)?;
        return Ok((t[n - 4].clone(), format!("[{}; {}]", elem, t[n - 2])));
    }
    let (name, ty) = t.split_last().ok_or("empty declarator")?;
    if ty.is_empty() || !is_ident(name) {
        return Err(format!("unnamed or odd declarator: {}", t.join(" ")));
    }
    Ok((name.clone(), rust_type(ty, false)?))
}

/// `R ( * name ) ( P )` -> (name, `Option<unsafe extern "C" fn(P) -> R>`).
fn parse_fn_pointer(t: &[String]) -> Result<(String, String), String> {
    let open = t.iter().position(|x| x == "(").ok_or("no (")?;
    let bad = || format!("not a function pointer: {}", t.join(" "));
    if t.get(open + 1).map(String::as_str) != Some("*") || t.get(open + 3).map(String::as_str) != Some(")")
        || t.get(open + 4).map(String::as_str) != Some("(") || t.last().map(String::as_str) != Some(")") {
        return Err(bad());
    }
    let name = t[open + 2].clone();
    let ret = rust_type(&t[..open], true)?;
    let args = parse_params(&t[open + 5..t.len() - 1])?;
    let ret = if ret == "()" { String::new() } else { format!(" -> {}", ret) };
    Ok((name, format!("Option<unsafe extern \"C\" fn({}){}>", args.join(", "), ret)))
}

fn is_ident(s: &str) -> bool {
    s.chars().next().map_or(false, |c| c.is_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// A C type (qualifiers, base type, `*`s with their own `const`s) as its Rust type.
fn rust_type(t: &[String], is_return: bool) -> Result<String, String> {
    let first_star = t.iter().position(|x| x == "*").unwrap_or(t.len());
    let base: Vec<&str> = t[..first_star].iter().map(String::as_str).collect();
    let base_const = base.contains(&"const");
    let words: Vec<&str> = base.into_iter().filter(|w| *w != "const").collect();
    // each `*`, with whether the pointer itself is const (irrelevant to Rust)
    let mut stars = 0;
    let mut pointee_const = vec![base_const];
    for x in &t[first_star..] {
        match x.as_str() {
            "*" => {
                stars += 1;
                pointee_const.push(false);
            }
            "const" => {
                if let Some(last) = pointee_const.last_mut() {
                    *last = true;
                }
            }
            other => return Err(format!("unexpected {:?} in type {}", other, t.join(" "))),
        }
    }
    let mut ty = rust_base(&words, stars > 0 || !is_return)?;
    for &pointee_is_const in pointee_const.iter().take(stars) {
        ty = format!("{} {}", if pointee_is_const { "*const" } else { "*mut" }, ty);
    }
    Ok(ty)
}

fn rust_base(words: &[&str], under_pointer_or_value: bool) -> Result<String, String> {
    let s = words.join(" ");
    let mapped = match s.as_str() {
        "void" => if under_pointer_or_value { "c_void" } else { "()" },
        "char" => "c_char",
        "int" | "signed" | "signed int" => "c_int",
        "unsigned" | "unsigned int" => "c_uint",
        "long" => "c_long",
        "unsigned long" => "c_ulong",
        "uint8_t" => "u8",
        "uint16_t" => "u16",
        "uint32_t" => "u32",
        "uint64_t" => "u64",
        "int8_t" => "i8",
        "int16_t" => "i16",
        "int32_t" => "i32",
        "int64_t" => "i64",
        "size_t" | "uintptr_t" => "usize",
        "ssize_t" | "intptr_t" => "isize",
        _ => {
            return match words {
                ["struct", name] | ["enum", name] => Ok(name.to_string()),
                [name] if is_ident(name) => Ok(name.to_string()),
                _ => Err(format!("unknown C type {:?}", s)),
            }
        }
    };
    Ok(mapped.to_string())
}
