"""PatentBridge (专利桥): the Django project."""

# Import the engine first: it sets NumPy's BLAS threading before anything imports NumPy.
import patentbridge_engine  # noqa: F401

__all__: list[str] = []
