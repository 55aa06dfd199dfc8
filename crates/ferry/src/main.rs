//! The `ferry` binary.

fn main() {
    println!("ferry {}", env!("CARGO_PKG_VERSION"));
}
