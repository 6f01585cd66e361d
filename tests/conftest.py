import os

from hypothesis import settings

# Both profiles start from Hypothesis's built-in "default" profile. Without an explicit parent a
# profile inherits from the active one, which Hypothesis switches to its own "ci" when CI is set.
BASE = settings.get_profile("default")

# "ci" repeats the same examples on every run and prints a blob that reproduces a failure.
# Both profiles set deadline=None because the run time of an example grows with C and varies with
# machine load, so a deadline would fail at random.
settings.register_profile("ci", BASE, derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", BASE, deadline=None)

# HYPOTHESIS_PROFILE, if set, names the profile. Otherwise CI, set to any value, selects "ci".
default_profile = "ci" if "CI" in os.environ else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or default_profile)
