/// Something to do later, exactly once, given the water's temperature.
type Callback = Box<dyn FnOnce(u32)>;

struct Kettle {
    when_boiled: Vec<Callback>,
}

impl Kettle {
    /// Keeps `callback`, to call when the water boils. Runs nothing now.
    fn on_boil(&mut self, callback: impl FnOnce(u32) + 'static) {
        self.when_boiled.push(Box::new(callback));
    }

    /// The water boils: call every callback, in the order they were given.
    fn boil(self) {
        println!("Click! The kettle is done.");
        for callback in self.when_boiled {
            callback(100);
        }
    }
}

fn main() {
    let mut kettle = Kettle {
        when_boiled: Vec::new(),
    };

    let tea = String::from("Earl Grey");
    kettle.on_boil(move |degrees| {
        println!("Pour the {degrees} °C water on the {tea}.");
    });

    let mugs = vec!["my mug", "Ferris's mug"];
    kettle.on_boil(move |_| {
        for mug in mugs {
            println!("Fill {mug}."); // `for` uses `mugs` up: it runs once
        }
    });

    kettle.on_boil(|_| println!("Put the kettle back."));

    println!("Three things to do when the water boils; none done yet.");
    println!("Meanwhile, read the news.");
    kettle.boil();
}
