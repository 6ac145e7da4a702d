//! Compiles `proto/*.proto` with protox (a protobuf compiler in pure Rust), so building Mockhaus
//! needs no system `protoc`, then generates the prost messages and tonic services from it.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = ["proto/control.proto"];
    for file in files {
        println!("cargo:rerun-if-changed={file}");
    }
    let descriptors = protox::compile(files, ["proto"])?;
    tonic_prost_build::configure().compile_fds(descriptors)?;
    Ok(())
}
