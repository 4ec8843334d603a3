//! The flex kernels' tensor storage: their inputs read as one slice of values, their
//! outputs allocated as burn-flex allocates its own.

use burn::backend::flex::{FlexTensor, Layout};
use burn::tensor::{Bytes, DType, Shape, TensorData};

/// A zeroed f32 tensor of `shape`, its storage aligned like burn-flex's own tensors (to a
/// `u128`). wasm's allocator aligns a `Vec<f32>` to 8 bytes only, so every other 16-byte
/// SIMD load and store of one straddles a cache line: the kernels that read and write these
/// outputs ran measurably slower in the browser. A count of elements that is not a multiple
/// of four takes a plain `Vec<f32>`, as the storage must hold exactly the tensor's elements.
pub fn zeros(shape: Shape) -> FlexTensor {
    let len = shape.num_elements();
    if len.is_multiple_of(4) {
        let blocks = Bytes::from_elems(vec![0u128; len / 4]);
        FlexTensor::new(blocks, Layout::contiguous(shape), DType::F32)
    } else {
        FlexTensor::from_data(TensorData::new(vec![0f32; len], shape))
    }
}

/// The values of a contiguous f32 tensor, in order (its view may start inside its storage).
/// Panics on a strided view: the kernels call `to_contiguous()` first.
pub fn values(tensor: &FlexTensor) -> &[f32] {
    let (start, end) = tensor
        .layout()
        .contiguous_offsets()
        .expect("a contiguous tensor");
    &tensor.storage::<f32>()[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeros_hold_exactly_their_elements_aligned_when_they_can_be() {
        for dims in [[2, 8], [3, 3]] {
            let tensor = zeros(Shape::new(dims));
            let values = tensor.storage::<f32>();
            assert_eq!(values.len(), dims[0] * dims[1]);
            assert!(values.iter().all(|&v| v == 0.0));
            if values.len().is_multiple_of(4) {
                assert_eq!(values.as_ptr() as usize % std::mem::align_of::<u128>(), 0);
            }
        }
    }
}
