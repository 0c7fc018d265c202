"""Job fairs: the interview schedule as an optimisation problem, its solver and its report."""
