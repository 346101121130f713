//! What is at a byte offset of a file: an item, a member, a value, a reference, an artifact,
//! a part of a string.
