"""Random digits from one draw of the operating system's randomness."""

import secrets


def random_digits(base: int, count: int) -> list[int]:
    """`count` digits in `base`, each uniform and independent: one number below base**count
    (secrets.randbelow(), one read of the OS's randomness) written in that base. Drawing each
    digit with secrets.choice() reads the OS's randomness once per digit."""
    number = secrets.randbelow(base**count)
    digits = []
    for _ in range(count):
        number, digit = divmod(number, base)
        digits.append(digit)
    return digits
