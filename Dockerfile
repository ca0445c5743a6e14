# The Airflow image celedger's DAGs run in: Airflow 3.3.2 on Python 3.11, plus exactly
# the versions the project was tested with (requirements.lock pins Airflow itself too).
FROM apache/airflow:3.3.2-python3.11
COPY --chown=airflow:root requirements.lock /opt/celedger/requirements.lock
RUN pip install --no-cache-dir -r /opt/celedger/requirements.lock
ENV PYTHONPATH=/opt/celedger
