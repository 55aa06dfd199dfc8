pub mod java_ser;
