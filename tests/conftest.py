import os

from hypothesis import settings

pytest_plugins = ["dlbook.testing.fixtures"]

# Same examples on every run (principle 5); "dev" explores more when asked for.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, max_examples=60)
settings.register_profile("dev", deadline=None, max_examples=300)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
