"""``python -m policytopics``: the same as the ``policytopics`` command."""

from .cli import main

raise SystemExit(main())
