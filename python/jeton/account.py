"""(being written)"""


class AccountInfo:
    def __init__(self, jeton):
        self._jeton = jeton
