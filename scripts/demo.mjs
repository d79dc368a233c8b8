// The tour behind `npm run demo`; later issues extend it (verifier on the incident, the sample service).
console.log('netra-sdk demo: nothing to show yet');
