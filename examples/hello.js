// The Node program that examples/hello.cc ports line by line.
Promise.resolve(1)
  .then((x) => x + 1)
  .then((x) => console.log(`hello from vow: ${x}`));
console.log("scheduled");
