"""``python -m creditlab.synth``: write the demo portfolio (see :func:`creditlab.synth.main`)."""

from creditlab.synth import main

raise SystemExit(main())
