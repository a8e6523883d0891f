try:
    from notes2tickets.cli import main
except KeyboardInterrupt:  # a Ctrl-C before main() can take it: the same one line, exit 130, no traceback
    import sys

    from notes2tickets.errors import EXIT_INTERRUPTED, INTERRUPTED_LINE

    sys.stderr.write(INTERRUPTED_LINE)
    raise SystemExit(EXIT_INTERRUPTED) from None

raise SystemExit(main())
