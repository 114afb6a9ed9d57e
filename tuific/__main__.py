from tuific.cli import main

# Guarded: the scan's worker processes (tuific.scan_pool) start by importing the
# main module again, and must not start another app.
if __name__ == "__main__":
    raise SystemExit(main())
