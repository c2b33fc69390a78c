"""(being written)"""


class Governance:
    def __init__(self, jeton):
        self._jeton = jeton
