"""What parity knows about conda: match specs, PyPI <-> conda-forge names, native packages.

Pure functions over data shipped with parity (``parity/data/conda/``); nothing
here imports py-rattler or touches the network.
"""
