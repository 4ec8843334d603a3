//! Protocol messages to and from JavaScript values, for `postMessage`.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

/// A message as a plain JavaScript object (byte buffers become `Uint8Array`s).
pub fn encode<T: Serialize>(message: &T) -> Result<JsValue, String> {
    serde_wasm_bindgen::to_value(message).map_err(|e| format!("cannot encode a message: {e}"))
}

/// A message back from a received JavaScript value.
pub fn decode<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|e| format!("cannot decode a message: {e}"))
}
