//! `section!`: one table of a scenario file declared once, one row per key.
//!
//! A row names the key's field, its Rust type, its [`FieldType`](super::types::FieldType) (with
//! range and example) and its default, under the key's doc comment:
//!
//! ```text
//! /// Meetings per week, 1..=7 (default 1).
//! meetings_per_week: u32 = Int::new(1, 7, "1"), or 1;
//! /// Required. Used in output folder names: only a-z, 0-9, '-' and '_'.
//! name: String = Text::new(TextRule::Name, "\"knitting-cafe\""), required "every scenario needs a name ...";
//! /// Origin labels the activity is aimed at (default []); each must be an origin of some population.
//! targets: Vec<String> = Names::new("[\"non-western\"]"), or Vec::new(), check cx.origins_include(t, &targets);
//! ```
//!
//! From the rows the macro derives, so that no key is written twice:
//! - the checked struct, with one documented field per row (fields that are not keys of the
//!   table, such as an activity's `key`, are declared before the rows or `after` them);
//! - `KEYS`, the keys of the table in row order (unknown-key messages, `--set` paths);
//! - `read`: each key read and checked in row order, its default filled in (a default may use
//!   the keys read before it and the reader's context), then its `check` run; a `then` block may
//!   bind the fields that are not keys;
//! - `write_keys`: the `key = value` lines of `to_toml` (and so of the sweep identity);
//! - `key_schemas`: each key's JSON Schema, its description taken from the doc comment;
//! - in tests, `variants`: copies with one key changed each, for the round-trip test.

/// Declares one table of a scenario file; see the [module docs](self).
macro_rules! section {
    (
        $(#[$meta:meta])*
        pub struct $Name:ident {
            $( $(#[$bmeta:meta])* pub $bfield:ident : $bty:ty, )*
        }
        keys $KEYS:ident, read($t:ident $(, $cx:ident : $Cx:ty)?) {
            $(
                $(#[doc = $doc:literal])*
                $field:ident : $ty:ty = $ftype:expr, $how:ident $arg:expr $(, check $check:expr)? ;
            )*
        }
        $( then { $($then:tt)* } )?
        $( after { $( $(#[$ameta:meta])* pub $afield:ident : $aty:ty, )* } )?
    ) => {
        $(#[$meta])*
        pub struct $Name {
            $( $(#[$bmeta])* pub $bfield: $bty, )*
            $( $(#[doc = $doc])* pub $field: $ty, )*
            $($( $(#[$ameta])* pub $afield: $aty, )*)?
        }

        #[doc = concat!("Keys of the table read into [`", stringify!($Name), "`], in the order `to_toml` writes them.")]
        pub const $KEYS: &[&str] = &[ $( stringify!($field) ),* ];

        impl $Name {
            /// Reads the keys of table `t`, each checked, every default filled in.
            pub(crate) fn read(
                $t: &$crate::scenario::document::Tbl<'_> $(, $cx: $Cx)?
            ) -> $crate::scenario::document::R<Self> {
                use $crate::scenario::types::FieldType as _;
                $(
                    let $field: $ty = match $ftype.read($t, stringify!($field))? {
                        Some(value) => value,
                        None => section!(@absent $how $arg, $t, stringify!($field)),
                    };
                    $( $check?; )?
                )*
                $( $($then)* )?
                Ok($Name { $($bfield,)* $($field,)* $($($afield,)*)? })
            }

            /// Appends the keys of this table as `key = value` lines, in row order.
            pub(crate) fn write_keys(&self, out: &mut String) {
                use $crate::scenario::types::FieldType as _;
                $( $ftype.write(out, stringify!($field), &self.$field); )*
            }

            /// The JSON Schema of each key, with whether the key is required.
            pub(crate) fn key_schemas(
                gen: &mut schemars::gen::SchemaGenerator,
            ) -> Vec<(&'static str, schemars::schema::Schema, bool)> {
                vec![$((
                    stringify!($field),
                    $crate::scenario::types::field_schema::<_, $ty>(
                        gen,
                        &$ftype,
                        &[$($doc),*],
                        section!(@required $how),
                    ),
                    section!(@required $how),
                )),*]
            }

            /// Copies of `self`, each with one key set to another valid value.
            #[cfg(test)]
            #[allow(clippy::needless_update)] // a section of one key
            pub(crate) fn variants(&self) -> Vec<(&'static str, Self)> {
                use $crate::scenario::types::FieldType as _;
                vec![$((
                    stringify!($field),
                    $Name { $field: $ftype.vary(&self.$field), ..self.clone() },
                )),*]
            }
        }
    };
    (@absent or $default:expr, $t:ident, $key:expr) => {
        $default
    };
    (@absent required $message:expr, $t:ident, $key:expr) => {
        return Err($t.err(
            $crate::scenario::document::Class::Missing,
            $key,
            String::from($message),
        ))
    };
    (@required or) => {
        false
    };
    (@required required) => {
        true
    };
}

pub(crate) use section;
