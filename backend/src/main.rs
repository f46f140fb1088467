//! `sodoan`: run the server (default), or one of the maintenance commands.

fn main() -> anyhow::Result<()> {
    sodoan::cli::main()
}
