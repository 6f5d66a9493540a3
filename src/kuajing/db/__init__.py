"""The service's database: the engine and its connections, the writer lock, group commit, the
one `MetaData` every package adds its own tables to, and every migration. Each package (ledger,
accounts, filing, zone, trail) owns its tables and the code that reads and writes them."""
