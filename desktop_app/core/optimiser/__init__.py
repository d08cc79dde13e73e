"""Where to add armed posts: the exact covering MILP and writing a chosen option into a copy of the workbook."""
