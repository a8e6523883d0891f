"""The sync: items → plan (pure) → filing on the tracker → state, the ticket body and the reports."""
