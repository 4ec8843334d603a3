//! Section 1, the data, in the worker: loading the bundled set or a CSV, the random sample
//! of each class, finding an image the page refers to, and the train/test split a run or an
//! evaluation makes (its test rows are remembered for the linked views).

use digits_cnn::data::{self, BundledData, Dataset, Image};
use digits_cnn::training::TrainConfig;
use digits_cnn::{CLASSES, MAX_PIXEL, PIXELS};
use rand::RngExt;

use super::Session;
use crate::protocol::{ImageRef, Response, SampleImage};

impl Session {
    /// Loads a bundled data set.
    pub(super) fn use_bundled(&mut self, data: BundledData) -> Response {
        self.load(Some(data), data.source().into(), data.dataset().clone())
    }

    /// Loads a CSV file; a refused one leaves the data loaded before.
    pub(super) fn load_csv(&mut self, name: String, bytes: &[u8]) -> Response {
        match data::parse_csv(bytes) {
            Ok(dataset) => self.load(None, name, dataset),
            Err(error) => Response::DataRefused {
                error: error.to_string(),
            },
        }
    }

    /// Tests runs on a CSV file's rows from now on; a refused file changes nothing.
    pub(super) fn load_test_csv(&mut self, name: String, bytes: &[u8]) -> Response {
        match data::parse_csv(bytes) {
            Ok(dataset) if dataset.is_empty() => Response::DataRefused {
                error: "the file has no rows".into(),
            },
            Ok(dataset) => {
                let rows = dataset.len();
                self.test_file = Some((name.clone(), dataset));
                Response::TestData {
                    file: Some((name, rows)),
                }
            }
            Err(error) => Response::DataRefused {
                error: error.to_string(),
            },
        }
    }

    fn load(&mut self, data: Option<BundledData>, source: String, dataset: Dataset) -> Response {
        if dataset.is_empty() {
            return Response::DataRefused {
                error: "the file has no rows".into(),
            };
        }
        let rows = dataset.len();
        if matches!(self.watched, Some(ImageRef::Row(row)) if row >= rows) {
            self.watched = Some(ImageRef::Row(0));
        }
        let class_counts = dataset.class_counts();
        self.data = Some(dataset);
        self.bundled = data;
        self.source = source.clone();
        Response::DataLoaded {
            data,
            source,
            rows,
            class_counts,
            sample: self.sample(),
        }
    }

    /// One random row of each class present.
    pub(super) fn sample(&mut self) -> Vec<SampleImage> {
        let Some(dataset) = &self.data else {
            return Vec::new();
        };
        let mut rows_of: [Vec<usize>; CLASSES] = Default::default();
        for (row, &label) in dataset.labels.iter().enumerate() {
            rows_of[usize::from(label)].push(row);
        }
        rows_of
            .iter()
            .filter(|rows| !rows.is_empty())
            .map(|rows| {
                let index = rows[self.rng.random_range(0..rows.len())];
                SampleImage {
                    index,
                    label: dataset.labels[index],
                    pixels: dataset.images[index].to_vec(),
                }
            })
            .collect()
    }

    /// The loaded data, or why a request that needs it fails before any is loaded.
    pub(super) fn loaded(&self) -> Result<&Dataset, String> {
        self.data.as_ref().ok_or_else(|| "no data is loaded".into())
    }

    /// The split `config` makes of the loaded data, as (train, test), with the test rows'
    /// indices remembered for the linked views; or why it cannot be made. With a test file,
    /// every loaded row trains and the file's rows test (the linked views, which show rows
    /// of the loaded data, stay empty).
    pub(super) fn split(&mut self, config: &TrainConfig) -> Result<(Dataset, Dataset), String> {
        let dataset = self.loaded()?;
        if let Some((_, test)) = &self.test_file {
            let parts = (dataset.clone(), test.clone());
            self.test_rows = Vec::new();
            return Ok(parts);
        }
        let split = config
            .split
            .split(self.bundled, &dataset.labels, config.test_size, config.seed)
            .map_err(|error| format!("cannot split the data: {}", error.message))?;
        let parts = (dataset.subset(&split.train), dataset.subset(&split.test));
        self.test_rows = split.test;
        Ok(parts)
    }

    /// The pixels and label (for a data row) of `image`, or why there are none.
    pub(super) fn resolve(&self, image: &ImageRef) -> Result<(Image, Option<u8>), String> {
        match image {
            ImageRef::Row(row) => {
                let dataset = self.loaded()?;
                let rows = dataset.len();
                if *row >= rows {
                    return Err(format!(
                        "there is no row {row}: the data has rows 0 to {}",
                        rows - 1
                    ));
                }
                Ok((dataset.images[*row], Some(dataset.labels[*row])))
            }
            ImageRef::Pixels(pixels) => {
                let image: Image = pixels
                    .as_slice()
                    .try_into()
                    .map_err(|_| format!("an image has {PIXELS} pixels, not {}", pixels.len()))?;
                if image.iter().any(|&p| p > MAX_PIXEL) {
                    return Err(format!("pixels go from 0 to {MAX_PIXEL}"));
                }
                Ok((image, None))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::protocol::{ImageRef, Request, Response};
    use digits_cnn::data::BundledData;

    #[test]
    fn a_test_csv_replaces_the_split_until_dropped() {
        let mut session = loaded_session();
        let csv = BundledData::Digits
            .csv()
            .lines()
            .take(30)
            .collect::<Vec<_>>()
            .join("\n");
        let answers = session.handle(Request::LoadTestCsv {
            name: "test.csv".into(),
            bytes: csv.into_bytes(),
        });
        assert!(
            matches!(&answers[..], [Response::TestData { file: Some((name, 30)) }] if name == "test.csv")
        );
        let started = session.handle(Request::Train { config: quick(1) });
        assert!(matches!(
            &started[..],
            [Response::TrainingStarted {
                train_rows: 1797,
                test_rows: 30,
                ..
            }]
        ));
        let refused = session.handle(Request::LoadTestCsv {
            name: "bad.csv".into(),
            bytes: b"1,2,3\n".to_vec(),
        });
        assert!(
            matches!(&refused[..], [Response::DataRefused { error }] if error.contains("line 1")),
            "{refused:?}"
        );
        assert!(matches!(
            &session.handle(Request::DropTestCsv)[..],
            [Response::TestData { file: None }]
        ));
        let started = session.handle(Request::Train { config: quick(1) });
        assert!(matches!(
            &started[..],
            [Response::TrainingStarted { test_rows: 360, .. }]
        ));
    }

    #[test]
    fn a_bad_csv_is_refused_and_the_old_data_stays() {
        let mut session = loaded_session();
        let answers = session.handle(Request::LoadCsv {
            name: "bad.csv".into(),
            bytes: b"1,2,3\n".to_vec(),
        });
        assert!(matches!(&answers[..], [Response::DataRefused { error }] if !error.is_empty()));
        let answers = session.handle(Request::FeatureMaps {
            image: ImageRef::Row(1796),
        });
        assert!(matches!(&answers[..], [Response::FeatureMaps(view)] if view.label.is_some()));
    }
}
