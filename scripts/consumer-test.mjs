// Placeholder until the consumer test lands.
console.log('consumer test: pending');
