"""Runs Tutor's CLI from its source on Debian's Python 3 (argv as for `tutor`).

Two gaps between Tutor and Debian's packages are bridged here, for the tests only:
- Debian ships pycryptodome as `Cryptodome`, Tutor imports `Crypto`: `Crypto.X` is made the
  very module object `Cryptodome.X`;
- pycryptodome 3.11 has no `RsaKey.dp`, `.dq`, `.invq`, which Tutor's templates read.
"""

import importlib
import importlib.abc
import importlib.util
import sys


class CryptoAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        if name == "Crypto" or name.startswith("Crypto."):
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        # The import system returns whatever sys.modules holds once this returns.
        sys.modules[module.__name__] = importlib.import_module("Cryptodome" + module.__name__[len("Crypto"):])


sys.meta_path.insert(0, CryptoAlias())

from Cryptodome.PublicKey.RSA import RsaKey  # noqa: E402

if not hasattr(RsaKey, "dp"):
    RsaKey.dp = property(lambda key: key.d % (key.p - 1))
    RsaKey.dq = property(lambda key: key.d % (key.q - 1))
    RsaKey.invq = property(lambda key: pow(key.q, -1, key.p))

from tutor.commands.cli import main  # noqa: E402

sys.argv[0] = "tutor"
main()
