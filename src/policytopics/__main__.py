"""``python -m policytopics``: the same as the ``policytopics`` command."""

from policytopics.cli import main

raise SystemExit(main())
