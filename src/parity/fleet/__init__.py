"""The fleet: snapshots of every laptop, CI runner and image in one store.

A *record* is one snapshot pushed by one machine (its label), with where it
came from: role (dev, ci, prod), host, git commit, lock digest, and when it
was taken and pushed.  Stores keep the distributions of each distinct set
once (content-addressed), so thousands of snapshots of similar environments
stay small.

- ``model``: records and their origin, as plain values;
- ``location``: which store a URL names, and how to print it without secrets;
- ``content``: the canonical, content-addressed form of a snapshot;
- ``redaction``: what is removed before anything is stored;
- ``migrations``: the versioned schema of both stores;
- ``store``, ``sql``, ``sqlite_store``, ``postgres_store``: the stores;
- ``origin``: host, role, commit and lock digest of the running machine;
- ``drift``, ``query``, ``history``, ``retention``: the questions a team asks,
  as pure functions over records and snapshots;
- ``service``: each command's work, from store to result.
"""
