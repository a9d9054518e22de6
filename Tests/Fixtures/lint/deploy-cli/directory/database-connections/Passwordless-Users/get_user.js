function getUser(email, context, callback) { callback(null); }
