use exercise_toy::triple;

#[test]
fn harder_tripling_triples() {
    assert_eq!(triple(5), 15, "three times 5 is 15");
}
