"""(being written)"""


class Tasks:
    def __init__(self, jeton):
        self._jeton = jeton
