"""`python -m educational.catalog.gift FILE OUT.yml`."""

from educational.catalog.gift.cli import main

raise SystemExit(main())
