# %% [markdown]
# # Tracing a story with retrace, from Python
#
# A notebook in plain Python (the `# %%` lines are cells in Jupyter, VS Code or `jupytext`).
# Run it from the repository's root after `pip install ./crates/retrace-py pandas`:
# `python examples/trace_a_story.py`.

# %%
import pathlib

import retrace

demo = pathlib.Path("demo")

# %% [markdown]
# ## Two articles: who took from whom, and what changed?

# %%
pair = retrace.compare(demo / "original.txt", demo / "rewrite.txt")
print(pair.relation, "· source:", pair.source, "· confidence:", pair.confidence)
for change in pair.changes:
    where = change.b.text if change.b else change.a.text if change.a else ""
    print(f"{change.kind:22} {change.detail}\n{'':22} in: {where[:90]!r}")

# %% [markdown]
# In Jupyter, a comparison on the last line of a cell shows as the side-by-side report.

# %%
pair

# %% [markdown]
# ## A folder of pages: every copy, excerpt and rewrite, grouped into stories

# %%
found = retrace.scan(demo, out="target/demo-scan")
print(found.summary)
stories = found.stories.to_pandas()
stories[["id", "original", "members"]]

# %%
pairs = found.pairs.to_pandas()
pairs[["relation", "source", "confidence"]]
