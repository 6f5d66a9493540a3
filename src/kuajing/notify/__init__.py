"""Notices to an organisation's admins (a projected threshold crossing within the lead time
of the procedure it triggers), kept until read."""
