from tuific.cli import main

raise SystemExit(main())
