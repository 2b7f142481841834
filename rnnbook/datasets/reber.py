"""The Reber grammar and the embedded Reber grammar (Hochreiter and Schmidhuber 1997)."""

from rnnbook import validate

SYMBOLS = "BTPSXVE"

# the Reber automaton, state -> {symbol: next state}; each string runs from "start" to "end"
GRAPH = {
    "start": {"B": 0},
    0: {"T": 1, "P": 2},
    1: {"S": 1, "X": 3},
    2: {"T": 2, "V": 4},
    3: {"X": 2, "S": 5},
    4: {"P": 3, "V": 5},
    5: {"E": "end"},
    "end": {},
}


def _moves(state, embedded):
    """{symbol: next state} from `state` of the plain or the embedded automaton."""
    if not embedded:
        return GRAPH[state]
    # embedded: B, a branch symbol T or P, a whole Reber string, the same branch symbol, E
    if state == "start":
        return {"B": "branch"}
    if state == "branch":
        return {"T": ("T", "start"), "P": ("P", "start")}
    if state == "close":
        return {"E": "end"}
    if state == "end":
        return {}
    branch, inner = state
    if inner == "end":
        return {branch: "close"}  # the long-range dependency: repeat the second symbol
    return {symbol: (branch, after) for symbol, after in GRAPH[inner].items()}


def _run(string, embedded):
    """The automaton's state after reading `string`, or None if no grammatical string starts so."""
    if not isinstance(string, str):
        raise TypeError(f"the string must be a str of symbols from {SYMBOLS!r}; got {string!r}")
    state = "start"
    for symbol in string:
        state = _moves(state, embedded).get(symbol)
        if state is None:
            return None
    return state


def sample(rng, embedded=True):
    """A random grammatical string: at each state, each of the two moves with probability 1/2."""
    validate.generator(rng)
    state, symbols = "start", []
    while state != "end":
        moves = _moves(state, embedded)
        symbol = list(moves)[rng.integers(len(moves))]
        symbols.append(symbol)
        state = moves[symbol]
    return "".join(symbols)


def is_grammatical(string, embedded=True):
    """True if `string` is a whole string of the grammar (anything else, even "", is False)."""
    return _run(string, embedded) == "end"


def next_symbols(prefix, embedded=True):
    """The set of symbols that may follow `prefix`; empty after a whole string."""
    state = _run(prefix, embedded)
    if state is None:
        kind = "embedded Reber" if embedded else "Reber"
        raise ValueError(f"no {kind} string starts with {prefix!r}")
    return set(_moves(state, embedded))
