//! The matrix products and column sums the flex kernels share: the convolution's and the
//! dense layer's GEMMs, their bias rows and their bias gradients.

use burn::backend::flex::FlexTensor;
use burn::tensor::Shape;

use super::storage::{values, zeros};

/// `lhs · rhs` for 2-D tensors of any strides, plus `bias` (one value a column) on every
/// row when given: one GEMM into a fresh aligned tensor. burn's own matmul zero-fills a
/// `Vec<u8>` and then copies it into an aligned allocation (`Bytes::from_bytes_vec`),
/// and the bias would be one more pass; here the bias rows are the GEMM's starting
/// output.
pub fn matmul(lhs: &FlexTensor, rhs: &FlexTensor, bias: Option<&FlexTensor>) -> FlexTensor {
    let ([m, k], [k_rhs, n]) = (matrix_dims(lhs), matrix_dims(rhs));
    assert_eq!(k, k_rhs, "matmul: inner dimensions differ");
    let mut output = zeros(Shape::new([m, n]));
    let out = output.storage_mut::<f32>();
    if let Some(bias) = bias {
        let bias = bias.to_contiguous();
        let row = values(&bias);
        assert_eq!(row.len(), n, "matmul: one bias a column");
        for out_row in out.chunks_exact_mut(n) {
            out_row.copy_from_slice(row);
        }
    }
    let ([lhs_rs, lhs_cs], [rhs_rs, rhs_cs]) = (strides(lhs), strides(rhs));
    // SAFETY: each layout is a valid m×k (k×n) view of its tensor's storage, so every
    // element the GEMM reads through these pointers and strides is inside that storage;
    // it writes the m×n elements of `out`, rows n apart.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            out.as_mut_ptr(),
            1,
            n as isize,
            bias.is_some(),
            first_element(lhs),
            lhs_cs,
            lhs_rs,
            first_element(rhs),
            rhs_cs,
            rhs_rs,
            1.0,
            1.0,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
    output
}

/// `[rows, columns]` of a 2-D tensor.
fn matrix_dims(tensor: &FlexTensor) -> [usize; 2] {
    let shape = tensor.layout().shape();
    assert_eq!(shape.num_dims(), 2, "matmul: 2-D tensors only");
    [shape[0], shape[1]]
}

/// `[row stride, column stride]` of a 2-D tensor, in elements.
fn strides(tensor: &FlexTensor) -> [isize; 2] {
    let strides = tensor.layout().strides();
    [strides[0], strides[1]]
}

/// A pointer to a tensor's first element (its view may start inside its storage).
fn first_element(tensor: &FlexTensor) -> *const f32 {
    tensor.storage::<f32>()[tensor.layout().start_offset()..].as_ptr()
}

/// The sum of each column of a 2-D tensor (any strides): a bias' gradient from its output's
/// gradient. Rows are added in order, each a vectorised pass over the columns; burn-flex's
/// `sum_dim` along rows scatters every element through its general kernel.
pub fn column_sums(matrix: &FlexTensor) -> FlexTensor {
    let matrix = matrix.to_contiguous();
    let [_, n] = matrix_dims(&matrix);
    let mut sums = zeros(Shape::new([n]));
    if n > 0 {
        let out = sums.storage_mut::<f32>();
        for row in values(&matrix).chunks_exact(n) {
            for (sum, &value) in out.iter_mut().zip(row) {
                *sum += value;
            }
        }
    }
    sums
}
