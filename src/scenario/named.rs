//! `named_values!`: a struct of named values of one type (the parameters, the mechanism
//! switches), with each field's default and the field read and set by its name, declared once
//! for both tables ([`params`](super::params) and [`mechanisms`](super::mechanisms) call it
//! from their own table macros).

/// Declares `pub struct $Name { pub field: $T, ... }` with `Default` (each field's default) and
/// `get`/`set` by field name.
macro_rules! named_values {
    (
        $(#[$meta:meta])*
        pub struct $Name:ident: $T:ty { $( $field:ident = $default:expr, $doc:literal; )* }
        $what:literal
    ) => {
        $(#[$meta])*
        pub struct $Name { $( #[doc = $doc] pub $field: $T, )* }

        impl Default for $Name {
            fn default() -> Self { $Name { $( $field: $default, )* } }
        }

        impl $Name {
            #[doc = concat!("The value of a ", $what, " by name; None if the name is unknown.")]
            pub fn get(&self, name: &str) -> Option<$T> {
                match name { $( stringify!($field) => Some(self.$field), )* _ => None }
            }
            #[doc = concat!("Sets a ", $what, " by name; false if the name is unknown (the caller checks the value).")]
            pub fn set(&mut self, name: &str, value: $T) -> bool {
                match name { $( stringify!($field) => { self.$field = value; true } )* _ => false }
            }
        }
    };
}

pub(crate) use named_values;
