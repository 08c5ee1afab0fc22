/// Two ordinary functions. Their names are values, like numbers or strings.
fn double(x: i32) -> i32 {
    x * 2
}

fn square(x: i32) -> i32 {
    x * x
}

/// Takes a function pointer: any plain function from `i32` to `i32`.
fn apply_twice(f: fn(i32) -> i32, x: i32) -> i32 {
    f(f(x))
}

/// Takes anything that can be called like a function from `i32` to `i32`:
/// functions, and closures too, even those that capture variables.
fn apply_to_all(f: impl Fn(i32) -> i32, xs: &[i32]) -> Vec<i32> {
    xs.iter().map(|&x| f(x)).collect()
}

/// Makes and returns a new function: a closure that remembers `n`.
fn adder(n: i32) -> impl Fn(i32) -> i32 {
    move |x| x + n
}

fn main() {
    // A function passed to another function, which calls it.
    println!("apply_twice(double, 5) = {}", apply_twice(double, 5));
    println!("apply_twice(square, 5) = {}", apply_twice(square, 5));

    // Functions stored in a table, picked by name at run time. (`as` turns
    // `double` into a function pointer; `square` then follows, so that both
    // fit in one array.)
    let table = [("double", double as fn(i32) -> i32), ("square", square)];
    for (name, f) in table {
        println!("{name}(7) = {}", f(7));
    }

    // A closure: a function written inline, which can use the variables
    // around it.
    let bonus = 100;
    let add_bonus = |x| x + bonus; // captures `bonus`
    println!(
        "add_bonus to all: {:?}",
        apply_to_all(add_bonus, &[1, 2, 3])
    );
    println!("square to all:    {:?}", apply_to_all(square, &[1, 2, 3]));

    // A function that makes functions.
    let add_ten = adder(10);
    println!("add_ten(32) = {}", add_ten(32));
}
