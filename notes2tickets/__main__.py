from notes2tickets.cli import main

raise SystemExit(main())
