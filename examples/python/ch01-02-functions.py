def double(x):
    return x * 2


def square(x):
    return x * x


def apply_twice(f, x):
    return f(f(x))


def apply_to_all(f, xs):
    return [f(x) for x in xs]


def adder(n):
    return lambda x: x + n  # a new function that remembers n


print(f"apply_twice(double, 5) = {apply_twice(double, 5)}")
print(f"apply_twice(square, 5) = {apply_twice(square, 5)}")

table = {"double": double, "square": square}
for name, f in table.items():
    print(f"{name}(7) = {f(7)}")

bonus = 100
add_bonus = lambda x: x + bonus  # uses `bonus`, from around it
print(f"add_bonus to all: {apply_to_all(add_bonus, [1, 2, 3])}")
print(f"square to all:    {apply_to_all(square, [1, 2, 3])}")

add_ten = adder(10)
print(f"add_ten(32) = {add_ten(32)}")
